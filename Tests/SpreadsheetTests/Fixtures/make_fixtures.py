"""Made the small XLSX fixtures once (kept in git): run with openpyxl installed."""
import datetime as dt, openpyxl
from openpyxl.styles import Font
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Ведомость"
ws["A1"] = "Сводная ведомость отметок"
ws.merge_cells("A1:E1")
ws["A2"] = "Класс: 9А"; ws["C2"] = "Учебный год: 2025/2026"; ws["E2"] = "1 четверть"
ws.append([])
ws.append(["№", "ФИО", "Русский язык", "Математика", "Дата"])
for c in ws[4]: c.font = Font(bold=True)
rows = [(1, "Иванов Иван Иванович", 5, 4, dt.date(2025, 10, 27)),
        (2, "Петрова Анна Сергеевна", "н/а", 5, dt.date(2025, 10, 28)),
        (3, "Ёлкина Мария Дмитриевна", 3, "осв", dt.date(2025, 10, 29))]
for r in rows:
    ws.append(list(r))
for r in range(5, 8):
    ws.cell(row=r, column=5).number_format = "DD.MM.YYYY"
ws["G5"] = 4.5
ws["G6"] = True
ws["G7"] = "=1/0"
hidden = wb.create_sheet("Служебный")
hidden["A1"] = "скрыто"
hidden.sheet_state = "hidden"
wb.save("openpyxl-source.xlsx")

wb2 = openpyxl.Workbook()
ws = wb2.active
ws.title = "Данные"
ws["A1"] = "Текст"; ws["B1"] = 42; ws["C1"] = 3.25; ws["D1"] = False
ws["A2"] = dt.datetime(2026, 5, 25, 8, 30); ws["A2"].number_format = "DD.MM.YYYY HH:MM"
ws["B2"] = dt.date(1900, 1, 1); ws["B2"].number_format = "DD.MM.YYYY"
ws["C2"] = dt.date(1900, 3, 1); ws["C2"].number_format = "DD.MM.YYYY"
ws["A3"] = "объединено"; ws.merge_cells("A3:C4")
ws["Z10"] = "далеко"
ws["A5"] = '=SUM(B1:C1)'
ws.sheet_properties.tabColor = "1072BA"
wb2.create_sheet("Второй")["B2"] = "второй лист"
wb2.save("openpyxl-types.xlsx")

# libreoffice-marks.xlsx: openpyxl-source.xlsx re-saved by LibreOffice 7.4:
#   soffice --headless --convert-to "xlsx:Calc MS Excel 2007 XML" openpyxl-source.xlsx
# encrypted.xlsx: openpyxl-types.xlsx encrypted with msoffcrypto-tool (password «пароль»):
#   msoffcrypto.format.ooxml.OOXMLFile(f).encrypt("пароль", out)
