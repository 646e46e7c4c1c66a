if x:
    pass

  # c
  y = 1
