# raise forms: class, instance, re-raise, raise from, raising in handlers and finally.
def f(mode):
    if mode == 0:
        raise ValueError
    if mode == 1:
        raise ValueError("with message")
    if mode == 2:
        try:
            raise KeyError("original")
        except KeyError:
            raise
    if mode == 3:
        try:
            raise KeyError("cause")
        except KeyError as e:
            raise RuntimeError("wrapped") from e
    if mode == 4:
        raise RuntimeError("no cause") from None
    if mode == 5:
        try:
            raise KeyError("first")
        except KeyError:
            raise TypeError("during handling")
    if mode == 6:
        try:
            raise KeyError("hidden")
        finally:
            return "finally swallowed"
for m in range(7):
    try:
        print(f(m))
    except Exception as e:
        print(m, type(e).__name__, e.args)
class Custom(Exception):
    def __init__(self, code):
        super().__init__("custom", code)
        self.code = code
try:
    raise Custom(42)
except Custom as c:
    print(c.code, c.args)
def reraiser():
    try:
        raise OSError(5)
    except OSError as e:
        err = e
    raise err
try:
    reraiser()
except OSError as e:
    print("OSError", e.args)
exc = StopIteration
try:
    raise exc
except StopIteration:
    print("raised from a name")
try:
    raise ValueError("x") from TypeError("y")
except ValueError as e:
    print("from instance", e.args)
