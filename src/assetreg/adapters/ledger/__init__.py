"""County ledgers (台账): reading and writing the Excel/CSV form of a register.

Everything here may import openpyxl; the core never does.
"""
