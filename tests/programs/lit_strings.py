# String literals: quote styles, triple quotes, raw, escapes, implicit concatenation.
print('single', "double", '''triple single''', """triple double""")
print('it\'s', "say \"hi\"", 'tab\there', 'new\nline')
print("back\\slash", r"raw\nstring", r"C:\dir\file")
print("\x41\x62\x63", "\101\102", "\u00e9\u00e8", "\U0001F600" == "\U0001f600")
print("a" "b" 'c', "con" "cat" "enated")
multi = """line one
line two
    indented"""
print(multi)
print(len(multi), multi.count("\n"))
print("\a\b\f\v\r\0".encode())
cont = "abc\
def"
print(cont)
print('', "", '''''', len(''))
print("mixed 'quotes'", 'mixed "quotes"')
print("unicode: \u03b1\u03b2\u03b3", len("\u03b1\u03b2\u03b3"))
print(u"u-prefix")
