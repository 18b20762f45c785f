// Preset laichau-full: the full Lai Châu 2024-2026 instrument (seed 000 §5.1-5.4: perception items, 27 criteria in 9 factors, expectation items).
extension InstrumentPreset {
    static let laichauFullYAML = #"""
    id: laichau-full
    title: {vi: "Đo lường sự hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước (Lai Châu 2024-2026)", en: "Citizen satisfaction with state administrative services (Lai Châu 2024-2026)"}
    source: "Lai Châu methodology 2024-2026, §5.1-5.4 and §6.2"
    basis: {vi: "Phương pháp đo lường sự hài lòng của tỉnh Lai Châu giai đoạn 2024–2026, mục 5.1–5.4 và 6.2", en: "Lai Châu methodology 2024-2026, §5.1-5.4 and §6.2"}
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
      - id: policy
        label: {vi: "Việc tổ chức thực hiện chính sách công", en: "Implementation of public policy"}
        factors:
          - id: accountability
            label: {vi: "Trách nhiệm giải trình của chính quyền", en: "Accountability of the authorities"}
            criteria:
              - id: c01
                label: {vi: "Chính quyền cung cấp thông tin, giải thích thông tin về các chính sách theo nhiều hình thức, giúp mọi người dân dễ tìm, dễ thấy, dễ hiểu.", en: "The authorities provide and explain information on policies in many forms, making it easy for everyone to find, see and understand."}
                scale: likert5
                source: "Lai Châu §5.2 item 1"
          - id: participation
            label: {vi: "Sự tham gia của người dân", en: "Citizen participation"}
            criteria:
              - id: c02
                label: {vi: "Chính quyền tổ chức nhiều hình thức để người dân dễ dàng nêu ý kiến đánh giá về tình hình triển khai và kết quả, tác động của các chính sách ở địa phương.", en: "The authorities offer many ways for people to easily give their assessment of how policies are carried out in the locality and of their results and impact."}
                scale: likert5
                source: "Lai Châu §5.2 item 2"
          - id: implementation
            label: {vi: "Chất lượng tổ chức thực hiện", en: "Quality of implementation"}
            criteria:
              - id: c03
                label: {vi: "Chính quyền tổ chức thực hiện tốt chính sách phát triển kinh tế ở địa phương", en: "The authorities implement the economic development policy well in the locality"}
                scale: likert5
                source: "Lai Châu §5.2 item 3"
              - id: c04
                label: {vi: "Chính quyền tổ chức thực hiện tốt chính sách khám chữa bệnh ở địa phương.", en: "The authorities implement the medical examination and treatment policy well in the locality."}
                scale: likert5
                source: "Lai Châu §5.2 item 4"
              - id: c05
                label: {vi: "Chính quyền tổ chức thực hiện tốt chính sách giáo dục phổ thông ở địa phương.", en: "The authorities implement the general education policy well in the locality."}
                scale: likert5
                source: "Lai Châu §5.2 item 5"
              - id: c06
                label: {vi: "Chính quyền tổ chức thực hiện tốt chính sách an sinh xã hội ở địa phương.", en: "The authorities implement the social security policy well in the locality."}
                scale: likert5
                source: "Lai Châu §5.2 item 6"
          - id: impact
            label: {vi: "Kết quả, tác động", en: "Results and impact"}
            criteria:
              - id: c07
                label: {vi: "Kinh tế gia đình của người dân địa phương tốt hơn.", en: "The household economy of local people is better."}
                scale: likert5
                source: "Lai Châu §5.2 item 7"
              - id: c08
                label: {vi: "Kinh tế - xã hội của địa phương tốt hơn.", en: "The socio-economic situation of the locality is better."}
                scale: likert5
                source: "Lai Châu §5.2 item 8"
              - id: c09
                label: {vi: "Bệnh viện công lập ở địa phương khám chữa bệnh cho người dân tốt hơn.", en: "Public hospitals in the locality examine and treat people better."}
                scale: likert5
                source: "Lai Châu §5.2 item 9"
              - id: c10
                label: {vi: "Trường phổ thông công lập dạy học cho học sinh tốt hơn.", en: "Public general-education schools teach students better."}
                scale: likert5
                source: "Lai Châu §5.2 item 10"
              - id: c11
                label: {vi: "An sinh xã hội đối với người dân ở địa phương tốt hơn.", en: "Social security for local people is better."}
                scale: likert5
                source: "Lai Châu §5.2 item 11"
      - id: service
        label: {vi: "Việc cung ứng dịch vụ hành chính công", en: "Delivery of public administrative services"}
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
            label: {vi: "Công chức trực tiếp giải quyết công việc", en: "Civil servants directly handling the work"}
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
            label: {vi: "Kết quả", en: "Results"}
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
            label: {vi: "Việc tiếp nhận, xử lý phản ánh, kiến nghị của người dân", en: "Receiving and handling people's feedback and petitions"}
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
    perception:
      - id: p01
        label: {vi: "Mức độ quan tâm theo dõi của người dân đối với chính sách công", en: "Level of people's interest in following public policy"}
        scale: interval4
      - id: p02
        label: {vi: "Kênh thông tin mà người dân sử dụng để theo dõi các chính sách công", en: "Information channels people use to follow public policy"}
        scale: nominal
        multi_select: true
        categories:
          - {code: 1, label: {vi: "Truyền hình", en: "Television"}}
          - {code: 2, label: {vi: "Đài phát thanh", en: "Radio"}}
          - {code: 3, label: {vi: "Báo in", en: "Printed newspapers"}}
          - {code: 4, label: {vi: "Internet, mạng xã hội", en: "Internet, social media"}}
          - {code: 5, label: {vi: "Loa truyền thanh xã, phường, thị trấn", en: "Commune loudspeaker system"}}
          - {code: 6, label: {vi: "Họp thôn, bản, tổ dân phố; cán bộ thôn, bản", en: "Village meetings; village officials"}}
          - {code: 7, label: {vi: "Khác", en: "Other"}}
      - id: p03
        label: {vi: "Mức độ phù hợp của các hình thức tiếp cận thông tin về chính sách công đối với người dân.", en: "Suitability for people of the forms of access to information on public policy."}
        scale: interval4
      - id: p04
        label: {vi: "Mức độ người dân sẵn sàng tham gia góp ý kiến cho cơ quan nhà nước về chính sách công", en: "Level of people's willingness to give comments to state agencies on public policy"}
        scale: interval4
      - id: p05
        label: {vi: "Cảm nhận của người dân về tình trạng công chức gây phiền hà, sách nhiễu trong quá trình giải quyết thủ tục hành chính", en: "People's perception of civil servants causing trouble or harassment while settling administrative procedures"}
        scale: nominal
        categories:
          - {code: 1, label: {vi: "Có", en: "Yes"}}
          - {code: 2, label: {vi: "Không", en: "No"}}
      - id: p06
        label: {vi: "Cảm nhận của người dân về tình trạng phải đưa tiền ngoài quy định cho công chức trong quá trình giải quyết TTHC.", en: "People's perception of having to give civil servants money beyond what is prescribed while settling administrative procedures."}
        scale: nominal
        categories:
          - {code: 1, label: {vi: "Có", en: "Yes"}}
          - {code: 2, label: {vi: "Không", en: "No"}}
      - id: p07
        label: {vi: "Mức độ phù hợp của các hình thức nộp hồ sơ, nhận kết quả phù hợp đối với người dân.", en: "Suitability for people of the ways of submitting dossiers and receiving results."}
        scale: interval4
      - id: p08
        label: {vi: "Sự trải nghiệm của người dân về chính sách công, dịch vụ hành chính công, dịch vụ công cơ bản, thiết yếu.", en: "People's experience of public policy, public administrative services and basic, essential public services."}
        scale: nominal
        multi_select: true
        categories:
          - {code: 1, label: {vi: "Chính sách phát triển kinh tế", en: "Economic development policy"}}
          - {code: 2, label: {vi: "Chính sách an sinh xã hội", en: "Social security policy"}}
          - {code: 3, label: {vi: "Chính sách giáo dục phổ thông", en: "General education policy"}}
          - {code: 4, label: {vi: "Chính sách khám, chữa bệnh", en: "Medical examination and treatment policy"}}
          - {code: 5, label: {vi: "Dịch vụ hành chính công", en: "Public administrative services"}}
          - {code: 6, label: {vi: "Dịch vụ công cơ bản, thiết yếu khác", en: "Other basic, essential public services"}}
          - {code: 7, label: {vi: "Chưa trải nghiệm chính sách, dịch vụ nào", en: "None of these"}}
    expectation:
      - id: e01
        label: {vi: "Nâng cao tính công khai, minh bạch trong cung cấp thông tin cho người dân.", en: "Increase openness and transparency in providing information to people."}
        scale: interval4
      - id: e02
        label: {vi: "Tăng cường trách nhiệm giải trình của chính quyền đối với người dân.", en: "Strengthen the accountability of the authorities to people."}
        scale: interval4
      - id: e03
        label: {vi: "Mở rộng các cơ hội tham gia giám sát của người dân đối với hoạt động của chính quyền.", en: "Expand opportunities for people to take part in monitoring the activities of the authorities."}
        scale: interval4
      - id: e04
        label: {vi: "Nâng cao hiệu lực, hiệu quả hoạt động của chính quyền địa phương.", en: "Improve the effectiveness and efficiency of local government."}
        scale: interval4
      - id: e05
        label: {vi: "Tăng cường cơ sở vật chất, trang thiết bị phục vụ giải quyết công việc cho người dân.", en: "Strengthen facilities and equipment for handling people's business."}
        scale: interval4
      - id: e06
        label: {vi: "Nâng cao năng lực của cán bộ, công chức, viên chức trong giải quyết công việc cho người dân.", en: "Improve the capacity of cadres, civil servants and public employees in handling people's business."}
        scale: interval4
      - id: e07
        label: {vi: "Nâng cao tinh thần, thái độ phục vụ của cán bộ, công chức, viên chức đối với người dân trong giải quyết công việc cho người dân.", en: "Improve the service spirit and attitude of cadres, civil servants and public employees towards people when handling their business."}
        scale: interval4
      - id: e08
        label: {vi: "Tăng cường ứng dụng công nghệ thông tin, chuyển đổi số trong giải quyết công việc cho người dân.", en: "Increase the use of information technology and digital transformation in handling people's business."}
        scale: interval4
      - id: e09
        label: {vi: "Nâng cao chất lượng cung ứng dịch vụ công trực tuyến để tạo điều kiện thuận lợi, dễ dàng cho người dân trong thực hiện dịch vụ công trực tuyến.", en: "Improve the quality of online public services to make it convenient and easy for people to use them."}
        scale: interval4
      - id: e10
        label: {vi: "Nâng cao chất lượng tiếp nhận, giải quyết ý kiến góp ý, phản ánh, kiến nghị của người dân.", en: "Improve the quality of receiving and resolving people's comments, feedback and petitions."}
        scale: interval4
    """#
}
