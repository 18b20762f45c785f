// Preset khanhhoa-education: Khánh Hòa 2782 Art. 4.3 (seed 004), five education-service factors with one criterion each.
extension InstrumentPreset {
    static let khanhhoaEducationYAML = #"""
    id: khanhhoa-education
    title: {vi: "Khảo sát mức độ hài lòng đối với dịch vụ giáo dục công (Khánh Hòa)", en: "Satisfaction with public education services (Khánh Hòa)"}
    source: "Khánh Hòa Decision 2782/QĐ-UBND (2024), Art. 4.3; sub-criteria are left to the Department of Education and Training (Art. 4.4)"
    basis: {vi: "Quyết định số 2782/QĐ-UBND (2024) của UBND tỉnh Khánh Hòa, Điều 4.3; tiêu chí thành phần do Sở Giáo dục và Đào tạo quy định (Điều 4.4)", en: "Khánh Hòa Decision 2782/QĐ-UBND (2024), Art. 4.3; sub-criteria are left to the Department of Education and Training (Art. 4.4)"}
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
      - id: education
        label: {vi: "Dịch vụ giáo dục công", en: "Public education services"}
        factors:
          - id: access
            label: {vi: "Tiếp cận dịch vụ giáo dục", en: "Access to education services"}
            criteria:
              - id: g01
                label: {vi: "Tiếp cận dịch vụ giáo dục", en: "Access to education services"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.3"
          - id: facilities
            label: {vi: "Cơ sở vật chất, trang thiết bị", en: "Facilities and equipment"}
            criteria:
              - id: g02
                label: {vi: "Cơ sở vật chất, trang thiết bị", en: "Facilities and equipment"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.3"
          - id: environment
            label: {vi: "Môi trường giáo dục", en: "Educational environment"}
            criteria:
              - id: g03
                label: {vi: "Môi trường giáo dục", en: "Educational environment"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.3"
          - id: activities
            label: {vi: "Hoạt động giáo dục", en: "Educational activities"}
            criteria:
              - id: g04
                label: {vi: "Hoạt động giáo dục", en: "Educational activities"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.3"
          - id: results
            label: {vi: "Kết quả của giáo dục", en: "Results of education"}
            criteria:
              - id: g05
                label: {vi: "Kết quả của giáo dục", en: "Results of education"}
                scale: likert5
                source: "Khánh Hòa 2782 Art. 4.3"
    overall:
      id: overall
      label: {vi: "Mức độ hài lòng chung đối với dịch vụ giáo dục", en: "Overall satisfaction with the education service"}
    """#
}
