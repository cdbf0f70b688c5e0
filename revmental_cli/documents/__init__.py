"""Documents revmental writes for people (Word, PDF, spreadsheets)."""
