# regress/: C unit tests (regress/unit) and the SQL regression runner.
