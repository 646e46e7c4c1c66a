# global declarations: read, write and delete globals from functions; module-level names.
counter = 0
def bump():
    global counter
    counter += 1
    return counter
bump(); bump()
print(counter)
def create():
    global created
    created = "yes"
create()
print(created)
def remove():
    global created
    del created
remove()
try:
    print(created)
except NameError:
    print("NameError")
def reads():
    return counter * 10
print(reads())
def shadow():
    counter = "local"
    return counter
print(shadow(), counter)
def nested():
    def inner():
        global counter
        counter = 100
    inner()
nested()
print(counter)
class C:
    global counter
    counter = 7
print(counter)
def multi():
    global a1, a2
    a1, a2 = 1, 2
multi()
print(a1 + a2)
