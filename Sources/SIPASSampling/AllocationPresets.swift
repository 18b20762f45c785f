/// The allocation presets, as the YAML a user would write (printed by `sipas sample allocate --show-rules`).
enum AllocationPresets {
    /// Sơn La 2024 plan (seed 001): II.3 "Quy mô điều tra" and III.1.a "Chọn cơ quan … phân bổ cỡ mẫu".
    static let sonLa2024 = """
        id: sonla-2024
        title: "Sơn La 2024: phân bổ cỡ mẫu (Kế hoạch kèm Quyết định 1804/QĐ-UBND)"
        source: "Kế hoạch kèm Quyết định 1804/QĐ-UBND, mục II.3 (Quy mô điều tra) và III.1.a (Phân bổ cỡ mẫu)"
        departments:
          forms: 60
          censusBelow: 60
          fieldNote: "2 fields with most transactions: the busiest 40-50 forms, the other 10-20 (III.1.a)"
          fieldNoteVi: "2 lĩnh vực có nhiều hồ sơ nhất: lĩnh vực nhiều nhất 40-50 phiếu, lĩnh vực còn lại 10-20 phiếu (III.1.a)"
          special:
            - unit: "Văn phòng UBND tỉnh"
              forms: 50
              note: "no public services: representatives of the 19 departments and 12 districts (II.3.a)"
              noteVi: "không có dịch vụ công: đại diện 19 sở, ngành và 12 huyện (II.3.a)"
            - unit: "Sở Ngoại vụ"
              forms: 30
              note: "no administrative files: organization representatives (II.3.a)"
              noteVi: "không có hồ sơ hành chính: đại diện các tổ chức (II.3.a)"
            - unit: "Ban Dân tộc"
              forms: 30
              note: "no administrative files: organization representatives (II.3.a)"
              noteVi: "không có hồ sơ hành chính: đại diện các tổ chức (II.3.a)"
            - unit: "Ban Quản lý các khu công nghiệp"
              censusBelow: 10
              extraForms: 20
              note: "II.3.a: census when fewer than 10 transactions, plus 20 forms from organization representatives; III.1.a says census of all transactions; with 10 or more the plan gives no number, so the department default applies"
              noteVi: "II.3.a: điều tra toàn bộ khi có dưới 10 hồ sơ, cộng 20 phiếu của đại diện tổ chức; III.1.a ghi điều tra toàn bộ hồ sơ; từ 10 hồ sơ trở lên kế hoạch không nêu số phiếu, nên áp dụng mức chung của sở"
            - unit: "Sở Nội vụ"
              note: "all service fields with files (III.1.a)"
              noteVi: "tất cả các lĩnh vực có hồ sơ (III.1.a)"
            - unit: "Sở Tài chính"
              note: "all service fields with files (III.1.a)"
              noteVi: "tất cả các lĩnh vực có hồ sơ (III.1.a)"
            - unit: "Sở Khoa học và Công nghệ"
              note: "all service fields with files (III.1.a)"
              noteVi: "tất cả các lĩnh vực có hồ sơ (III.1.a)"
            - unit: "Sở Thông tin và Truyền thông"
              note: "all service fields with files (III.1.a)"
              noteVi: "tất cả các lĩnh vực có hồ sơ (III.1.a)"
            - unit: "Sở Văn hóa, Thể thao và Du lịch"
              note: "all service fields with files (III.1.a)"
              noteVi: "tất cả các lĩnh vực có hồ sơ (III.1.a)"
            - unit: "Sở Giáo dục và Đào tạo"
              note: "all service fields with files (III.1.a)"
              noteVi: "tất cả các lĩnh vực có hồ sơ (III.1.a)"
        districts:
          classes:
            - name: "I"
              forms: 100
              fields:
                - { field: "Tư pháp/Hộ tịch", forms: 30 }
                - { field: "Tài nguyên môi trường", forms: 40 }
                - { field: "Lao động, thương binh xã hội", forms: 30 }
              members: ["Sông Mã", "Thuận Châu", "Mộc Châu", "Mai Sơn", "Phù Yên"]
            - name: "II"
              forms: 80
              fields:
                - { field: "Tư pháp/Hộ tịch", forms: 30 }
                - { field: "Tài nguyên môi trường", forms: 30 }
                - { field: "Lao động, thương binh xã hội", forms: 20 }
              members: ["Quỳnh Nhai", "Thành phố Sơn La", "Yên Châu", "Vân Hồ", "Sốp Cộp", "Mường La", "Bắc Yên"]
        communes:
          perDistrict: 5
          formsPerCommune: 10
          fieldsPerCommune: 2
          quotas:
            - { group: "seat", count: 1 }
            - { group: "I", count: 2 }
            - { group: "II/III", count: 2 }

        """

    /// Lai Châu methodology 2024–2026 (seed 000), §7.1 "Chọn mẫu khảo sát" (household survey).
    static let laiChau2024 = """
        id: laichau-2024
        title: "Lai Châu 2024-2026: chọn mẫu hộ gia đình nhiều giai đoạn (§7.1)"
        source: "Phương pháp đo lường Lai Châu 2024-2026, mục 7.1 (Chọn mẫu khảo sát)"
        multistage:
          communesPerDistrict: 3
          communesByDistrict:
            - { district: "Sìn Hồ", communes: 5 }
            - { district: "Phong Thổ", communes: 5 }
          villagesPerCommune: 3
          householdsPerVillage: 30
          administrativeCentreByDefault: true
          note: "communes listed alphabetically within each of the 3 commune classes; the administrative centre (and the village holding the commune seat) by default; a unit in the national sample is replaced by the adjacent one"

        """
}
