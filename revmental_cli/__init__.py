"""revmental: cohort administration for ASN training centres."""

__version__ = "0.1.0"
