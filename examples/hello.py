# A tiny program to try the compiler on: `mpy-cross examples/hello.py`.
GREETING = "Hello from a .mpy file"


def greet(name, punctuation="!"):
    return "{}, {}{}".format(GREETING, name, punctuation)


for who in ("MicroPython", "CircuitPython"):
    print(greet(who))
