x = R'a'
