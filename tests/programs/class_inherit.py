# Inheritance: overriding, calling base methods explicitly, isinstance/issubclass, multiple bases.
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "%s says %s" % (self.name, self.sound)
    def kind(self):
        return "animal"
class Dog(Animal):
    sound = "woof"
    def kind(self):
        return "dog/" + Animal.kind(self)
class Puppy(Dog):
    def __init__(self, name, age):
        Dog.__init__(self, name)
        self.age = age
    def speak(self):
        return Dog.speak(self) + " (age %d)" % self.age
for a in (Animal("gen"), Dog("rex"), Puppy("bit", 1)):
    print(a.speak(), a.kind())
print(isinstance(Puppy("x", 2), Animal), issubclass(Dog, Animal), issubclass(Animal, Dog))
class Flyer:
    def move(self):
        return "fly"
    def fly_only(self):
        return "wings"
class Swimmer:
    def move(self):
        return "swim"
    def swim_only(self):
        return "fins"
class Duck(Flyer, Swimmer):
    pass
d = Duck()
print(d.move(), d.fly_only(), d.swim_only(), isinstance(d, Swimmer))
class MyList(list):
    def total(self):
        return sum(self)
ml = MyList([1, 2, 3])
ml.append(4)
print(ml.total(), len(ml), ml[0])
class MyExc(ValueError):
    pass
try:
    raise MyExc("bad")
except ValueError as e:
    print("caught", type(e).__name__, e.args)
