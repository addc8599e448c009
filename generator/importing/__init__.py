"""`panelsite import`: figures from a spreadsheet in the EES long layout into the KPI files."""
