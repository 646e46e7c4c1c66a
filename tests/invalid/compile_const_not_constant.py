from micropython import const
Y = 2
X = const(Y)
