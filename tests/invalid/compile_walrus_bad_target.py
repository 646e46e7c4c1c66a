def f(a):
    return (a.b := 1)
