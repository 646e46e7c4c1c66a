# try/except/else/finally in every combination, exception matching by tuple and by base class.
def attempt(kind):
    try:
        if kind == 1:
            raise ValueError("v")
        elif kind == 2:
            raise KeyError("k")
        elif kind == 3:
            raise TypeError("t")
        elif kind == 4:
            [][1]
    except ValueError as e:
        print("ValueError", e.args)
    except (KeyError, TypeError) as e:
        print("Key/Type", type(e).__name__)
    except LookupError:
        print("LookupError")
    else:
        print("no exception")
    finally:
        print("finally", kind)
for k in range(5):
    attempt(k)
try:
    try:
        raise IndexError
    finally:
        print("inner finally")
except IndexError:
    print("outer caught")
try:
    pass
except Exception:
    print("never")
else:
    print("else only")
try:
    print("body")
finally:
    print("finally only")
try:
    1 / 0
except:
    print("bare except")
def ret_in_finally():
    try:
        return "try"
    finally:
        print("finally runs before return")
print(ret_in_finally())
def override():
    try:
        return 1
    finally:
        return 2
print(override())
try:
    raise Exception("a", 1)
except Exception as e:
    print(e.args, len(e.args))
try:
    int("x")
except ValueError:
    print("int ValueError")
try:
    undefined_name
except NameError:
    print("NameError")
try:
    {}["missing"]
except KeyError as e:
    print("KeyError", e.args)
try:
    None.attr
except AttributeError:
    print("AttributeError")
def scoped():
    try:
        raise ValueError
    except ValueError as err:
        pass
    try:
        err
    except NameError:
        print("err deleted after except")
scoped()
