x.if = 3
