# Its top level never returns.
while True:
    pass
