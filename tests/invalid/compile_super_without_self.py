class A:
    def f():
        return super().f()
