x = '\xg0'
