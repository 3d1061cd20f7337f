"""Reads every cell of an XLSX file's first sheet with one peer library; prints the count."""
import sys

lib, path = sys.argv[1], sys.argv[2]
n = 0
if lib == "calamine":
    from python_calamine import CalamineWorkbook
    for row in CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows():
        n += sum(1 for v in row if v != "")
elif lib == "openpyxl":
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for row in wb.worksheets[0].iter_rows(values_only=True):
        n += sum(1 for v in row if v is not None)
print(n)
