for i in range(3):
    class A:
        continue
