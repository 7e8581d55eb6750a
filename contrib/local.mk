# contrib/: tools around the server (benchmarks, test helpers).
