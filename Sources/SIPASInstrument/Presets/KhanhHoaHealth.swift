// Preset khanhhoa-health: Khánh Hòa 2782 Art. 4.2 (seed 004), five health-service factors with one criterion each.
extension InstrumentPreset {
    static let khanhhoaHealthYAML = #"""
    id: khanhhoa-health
    title: {vi: "Khảo sát mức độ hài lòng đối với dịch vụ y tế công (Khánh Hòa)", en: "Satisfaction with public health services (Khánh Hòa)"}
    source: "Khánh Hòa Decision 2782/QĐ-UBND (2024), Art. 4.2; sub-criteria are left to the Department of Health (Art. 4.4)"
    basis: {vi: "Quyết định số 2782/QĐ-UBND (2024) của UBND tỉnh Khánh Hòa, Điều 4.2; tiêu chí thành phần do Sở Y tế quy định (Điều 4.4)", en: "Khánh Hòa Decision 2782/QĐ-UBND (2024), Art. 4.2; sub-criteria are left to the Department of Health (Art. 4.4)"}
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
      - id: health
        label: {vi: "Dịch vụ y tế công", en: "Public health services"}
        factors:
          - id: access
            label: {vi: "Khả năng tiếp cận", en: "Accessibility"}
            criteria:
              - id: h01
                label: {vi: "Khả năng tiếp cận", en: "Accessibility"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.2"
          - id: transparency
            label: {vi: "Sự minh bạch thông tin và thủ tục khám bệnh, điều trị", en: "Transparency of information and of examination and treatment procedures"}
            criteria:
              - id: h02
                label: {vi: "Sự minh bạch thông tin và thủ tục khám bệnh, điều trị", en: "Transparency of information and of examination and treatment procedures"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.2"
          - id: facilities
            label: {vi: "Cơ sở vật chất và phương tiện phục vụ người bệnh", en: "Facilities and equipment serving patients"}
            criteria:
              - id: h03
                label: {vi: "Cơ sở vật chất và phương tiện phục vụ người bệnh", en: "Facilities and equipment serving patients"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.2"
          - id: staff
            label: {vi: "Thái độ ứng xử, năng lực chuyên môn của nhân viên y tế", en: "Conduct and professional competence of health workers"}
            criteria:
              - id: h04
                label: {vi: "Thái độ ứng xử, năng lực chuyên môn của nhân viên y tế", en: "Conduct and professional competence of health workers"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.2"
          - id: results
            label: {vi: "Kết quả cung cấp dịch vụ", en: "Results of service provision"}
            criteria:
              - id: h05
                label: {vi: "Kết quả cung cấp dịch vụ", en: "Results of service provision"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.2"
    overall:
      id: overall
      label: {vi: "Mức độ hài lòng chung đối với dịch vụ y tế", en: "Overall satisfaction with the health service"}
    """#
}
