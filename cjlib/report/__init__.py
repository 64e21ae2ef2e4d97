"""Shared notebook sections: each notebook is a few calls to these, tested once."""
