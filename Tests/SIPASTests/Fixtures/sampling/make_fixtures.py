"""Writes the synthetic sampling fixtures (fictional names; seeded). Run: python3 make_fixtures.py"""
import csv, random

rng = random.Random(20240901)
surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lò", "Cầm", "Quàng"]
middles = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Xuân"]
givens = ["An", "Anh", "Ánh", "Bình", "Chung", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long",
          "Mai", "Nam", "Ngân", "Phong", "Quân", "Sơn", "Thảo", "Trang", "Tú", "Uyên", "Vân", "Xuân", "Yến"]

def person(i):
    return (f"{rng.choice(surnames)} {rng.choice(middles)} {rng.choice(givens)}",
            f"Bản {rng.randint(1, 40)}, xã {rng.choice(['Chiềng Ban', 'Mường Bon', 'Hát Lót', 'Cò Nòi'])}",
            "09" + "".join(str(rng.randint(0, 9)) for _ in range(8)))

rows = []
fields = [("Tài nguyên môi trường", 1500), ("Tư pháp/Hộ tịch", 25), ("Lao động, thương binh xã hội", 200)]
pid = 0
for field, size in fields:
    for _ in range(size):
        pid += 1
        name, address, phone = person(pid)
        rows.append([f"P{pid:05d}", name, address, phone, "UBND huyện Mai Sơn", field])
# The privacy sentinel: sorts first in its list, so it is always in the main sample.
rows[700] = [rows[700][0], "Á Thị Kín Đáo", "Số 1 ngõ Bí Mật", "0987 654 321", "UBND huyện Mai Sơn", "Tài nguyên môi trường"]
rng.shuffle(rows)
with open("frame.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "name", "address", "phone", "unit", "field"])
    w.writerows(rows)

with open("allocation.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["unit", "field", "n"])
    w.writerow(["UBND huyện Mai Sơn", "Tài nguyên môi trường", 40])
    w.writerow(["UBND huyện Mai Sơn", "Tư pháp/Hộ tịch", 30])
    w.writerow(["UBND huyện Mai Sơn", "Lao động, thương binh xã hội", 30])

# Communes of two fictional districts: class, administrative centre, households.
with open("communes.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["district", "commune", "class", "centre", "households"])
    for district, n in [("Sìn Hồ", 12), ("Tam Đường", 9)]:
        for i in range(n):
            w.writerow([district, f"Xã {district} {chr(65 + i)}", ["I", "II", "III"][i % 3], "yes" if i == 4 else "",
                        rng.randint(300, 2500)])
with open("national.txt", "w", encoding="utf-8") as f:
    f.write("Xã Sìn Hồ B\nXã Tam Đường C\n")

with open("units.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["unit", "level", "class", "transactions"])
    w.writerow(["Sở Tư pháp", "department", "", 45])
    w.writerow(["Sở Xây dựng", "department", "", 812])
    w.writerow(["Văn phòng UBND tỉnh", "department", "", ""])
    w.writerow(["Ban Quản lý các khu công nghiệp", "department", "", 7])
    w.writerow(["Mai Sơn", "district", "", ""])
    w.writerow(["Yên Châu", "district", "", ""])

with open("strata.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["stratum", "N", "sd"])
    w.writerows([["Tư pháp", 123, 18], ["Tài nguyên môi trường", 456, 22], ["Lao động", 789, 12]])

# One row per issued form, matching seed 002 I.7 and I.9: 2,667 issued, 2,640 returned (all valid),
# 810 re-checked: 703 confirmed, 103 unreachable, 4 refused.
reasons = ["đi công tác"] * 9 + ["chuyển nơi ở"] * 8 + ["từ chối trả lời"] * 6 + ["sai số điện thoại"] * 4
outcomes = []
for i in range(2667):
    name, address, phone = person(i)
    outcomes.append([f"F{i + 1:05d}", name, phone, f"ĐTV{i % 12 + 1:02d}", "yes", "", "", ""])
for i, reason in enumerate(reasons):
    outcomes[2640 + i][4:6] = ["no", reason]
checks = ["confirmed"] * 703 + ["unreachable"] * 103 + ["refused"] * 4
for i, outcome in zip(rng.sample(range(2640), 810), checks):
    outcomes[i][7] = outcome
outcomes[0][1:3] = ["Á Thị Kín Đáo", "0987 654 321"]
with open("outcomes.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["form", "name", "phone", "enumerator", "returned", "not_returned_reason", "excluded_reason", "recheck"])
    w.writerows(outcomes)

with open("pilot.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["respondent", "q05"])
    for i, score in enumerate([5, 4, 4, 3, 5, 4, 2, 4, 5, 3, "", 4, 4, 5, 3, 4, 1, 4, 5, 4]):
        w.writerow([f"R{i + 1:02d}", score])
