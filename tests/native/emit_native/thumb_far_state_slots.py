# -X emit=native: the generator callback has more state slots than a 16-bit Thumb str reaches (32
# words): 1.12 - 1.25 store the far ones at the offset's low 5 bits (thumb_word_store_any_offset).
# (a random program, as found; not run: only compiled)
from micropython import const
i = beta2; (i, *obj, Alpha, s) = 0x28
with v as [v, w, obj], f"}}{i}" as _q, ... as data:
    v: str = z
    def callback(a, key, b=Alpha, q: int=b, opt: int=a, *args, **kwargs) -> int:
        global total
        a = b = c = x = y = z = n = i = j = k = s = t = u = v = w = obj = data = item = result = _p = _q = Alpha = beta2 = (-0b10000)
        (*n, y) = a
        yield Alpha