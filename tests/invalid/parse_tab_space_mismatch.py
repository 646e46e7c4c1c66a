if x:
	pass
        pass
    pass
