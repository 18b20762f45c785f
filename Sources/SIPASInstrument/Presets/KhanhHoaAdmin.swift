// Preset khanhhoa-admin: Khánh Hòa 2782 Art. 4.1 factors (seed 004) with Lai Châu §5.3 items 12-27 as criteria (seed 000).
extension InstrumentPreset {
    static let khanhhoaAdminYAML = #"""
    id: khanhhoa-admin
    title: {vi: "Khảo sát mức độ hài lòng đối với cơ quan hành chính (Khánh Hòa)", en: "Satisfaction with administrative agencies (Khánh Hòa)"}
    source: "Khánh Hòa Decision 2782/QĐ-UBND (2024), Art. 4.1; criteria: Lai Châu methodology 2024-2026, §5.3 items 12-27"
    basis: {vi: "Quyết định số 2782/QĐ-UBND (2024) của UBND tỉnh Khánh Hòa, Điều 4.1; tiêu chí theo phương pháp đo lường của tỉnh Lai Châu giai đoạn 2024–2026, mục 5.3, câu 12–27", en: "Khánh Hòa Decision 2782/QĐ-UBND (2024), Art. 4.1; criteria: Lai Châu methodology 2024-2026, §5.3 items 12-27"}
    missing_codes: [9, 99]
    missing_labels:
      9: ["Không biết", "Don't know"]
      99: ["Không trả lời", "No answer"]
    answer_labels:
      likert5:
        labels:
          1: {vi: "Rất không hài lòng", en: "Very dissatisfied"}
          2: {vi: "Không hài lòng", en: "Dissatisfied"}
          3: {vi: "Bình thường", en: "Neutral"}
          4: {vi: "Hài lòng", en: "Satisfied"}
          5: {vi: "Rất hài lòng", en: "Very satisfied"}
    contents:
      - id: service
        label: {vi: "Cung ứng dịch vụ hành chính công", en: "Administrative service delivery"}
        factors:
          - id: access
            label: {vi: "Tiếp cận dịch vụ", en: "Access to services"}
            criteria:
              - id: q01
                label: {vi: "Bộ phận Tiếp nhận và trả kết quả có biển hiệu, hướng dẫn rõ ràng, giúp người dân dễ tìm, dễ thấy.", en: "The reception and results-return section has clear signs and directions, making it easy for people to find and see."}
                scale: likert5
                source: "Lai Châu §5.3 item 12"
              - id: q02
                label: {vi: "Bộ phận Tiếp nhận và trả kết quả có đủ ghế ngồi chờ, ghế ngồi giải quyết công việc và bàn viết cho người dân.", en: "The reception and results-return section has enough seats for waiting and for handling business, and writing desks for people."}
                scale: likert5
                source: "Lai Châu §5.3 item 13"
              - id: q03
                label: {vi: "Bộ phận Tiếp nhận và trả kết quả có trang thiết bị phục vụ người dân đầy đủ, chất lượng tốt, giúp người dân giải quyết công việc dễ dàng hơn.", en: "The reception and results-return section has complete, good-quality equipment serving people, making it easier for them to handle their business."}
                scale: likert5
                source: "Lai Châu §5.3 item 14"
          - id: procedures
            label: {vi: "Thủ tục hành chính", en: "Administrative procedures"}
            criteria:
              - id: q04
                label: {vi: "Quy định thủ tục hành chính được niêm yết công khai tại Bộ phận Tiếp nhận và trả kết quả, giúp người dân dễ thấy, dễ đọc.", en: "The regulations on administrative procedures are publicly posted at the reception and results-return section, easy for people to see and read."}
                scale: likert5
                source: "Lai Châu §5.3 item 15"
              - id: q05
                label: {vi: "Công chức yêu cầu người dân nộp hồ sơ giải quyết thủ tục hành chính đúng theo quy định.", en: "Civil servants require people to submit the documents for administrative procedures as prescribed by regulations."}
                scale: likert5
                source: "Lai Châu §5.3 item 16"
              - id: q06
                label: {vi: "Công chức yêu cầu người dân nộp phí/lệ phí giải quyết thủ tục hành chính đúng theo quy định.", en: "Civil servants require people to pay the fees/charges for administrative procedures as prescribed by regulations."}
                scale: likert5
                source: "Lai Châu §5.3 item 17"
              - id: q07
                label: {vi: "Thời hạn giải quyết thủ tục hành chính cho người dân đúng theo quy định.", en: "The time limit for settling people's administrative procedures complies with regulations."}
                scale: likert5
                source: "Lai Châu §5.3 item 18"
          - id: officials
            label: {vi: "Sự phục vụ của công chức, viên chức", en: "Service of civil servants"}
            criteria:
              - id: q08
                label: {vi: "Công chức ở Bộ phận Tiếp nhận và trả kết quả có thái độ giao tiếp lịch sự, tôn trọng đối với người dân.", en: "Civil servants at the reception and results-return section communicate politely and respectfully with people."}
                scale: likert5
                source: "Lai Châu §5.3 item 19"
              - id: q09
                label: {vi: "Công chức ở Bộ phận Tiếp nhận và trả kết quả hướng dẫn hồ sơ dễ hiểu, đầy đủ, giúp người dân có thể hoàn thiện hồ sơ sau một lần hướng dẫn.", en: "Civil servants at the reception and results-return section explain the required documents clearly and completely, so people can complete their dossier after a single round of guidance."}
                scale: likert5
                source: "Lai Châu §5.3 item 20"
              - id: q10
                label: {vi: "Công chức ở Bộ phận Tiếp nhận và trả kết quả tuân thủ đúng quy định trong giải quyết thủ tục hành chính cho người dân.", en: "Civil servants at the reception and results-return section comply with regulations when settling administrative procedures for people."}
                scale: likert5
                source: "Lai Châu §5.3 item 21"
          - id: results
            label: {vi: "Kết quả giải quyết công việc", en: "Results of service delivery"}
            criteria:
              - id: q11
                label: {vi: "Kết quả giải quyết thủ tục hành chính cho người dân được trả đúng hẹn.", en: "The results of people's administrative procedures are returned on time."}
                scale: likert5
                source: "Lai Châu §5.3 item 22"
              - id: q12
                label: {vi: "Kết quả giải quyết thủ tục hành chính cho người dân có thông tin đầy đủ, chính xác.", en: "The results of people's administrative procedures contain complete and accurate information."}
                scale: likert5
                source: "Lai Châu §5.3 item 23"
              - id: q13
                label: {vi: "Kết quả giải quyết thủ tục hành chính cho người dân đảm bảo tính công bằng.", en: "The results of people's administrative procedures are fair."}
                scale: likert5
                source: "Lai Châu §5.3 item 24"
          - id: feedback
            label: {vi: "Tiếp nhận, xử lý thông tin phản hồi", en: "Receiving and handling feedback"}
            criteria:
              - id: q14
                label: {vi: "Bộ phận Tiếp nhận và trả kết quả bố trí hình thức tiếp nhận phản ánh, kiến nghị, giúp người dân phản ánh, kiến nghị dễ dàng.", en: "The reception and results-return section provides ways to receive feedback and petitions, making it easy for people to give feedback and make petitions."}
                scale: likert5
                source: "Lai Châu §5.3 item 25"
              - id: q15
                label: {vi: "Bộ phận Tiếp nhận và trả kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân đúng quy định.", en: "The reception and results-return section receives and handles people's feedback and petitions in accordance with regulations."}
                scale: likert5
                source: "Lai Châu §5.3 item 26"
              - id: q16
                label: {vi: "Bộ phận Tiếp nhận và trả kết quả thông báo kết quả xử lý phản ánh kiến nghị cho người dân kịp thời.", en: "The reception and results-return section informs people of the outcome of handling their feedback and petitions in a timely manner."}
                scale: likert5
                source: "Lai Châu §5.3 item 27"
    overall:
      id: overall
      label: {vi: "Mức độ hài lòng chung đối với sự phục vụ của cơ quan hành chính nhà nước", en: "Overall satisfaction with the service of the state administrative agency"}
    """#
}
