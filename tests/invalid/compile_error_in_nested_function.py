x = 1
def outer():
    def inner():
        y = 2
        return
    break
