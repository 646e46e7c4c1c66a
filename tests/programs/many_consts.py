# More than 256 distinct constants: strings, floats, big ints and bytes, in a function and at module level.
def strings():
    out = []
    out.append('string_constant_0')
    out.append('string_constant_1')
    out.append('string_constant_2')
    out.append('string_constant_3')
    out.append('string_constant_4')
    out.append('string_constant_5')
    out.append('string_constant_6')
    out.append('string_constant_7')
    out.append('string_constant_8')
    out.append('string_constant_9')
    out.append('string_constant_10')
    out.append('string_constant_11')
    out.append('string_constant_12')
    out.append('string_constant_13')
    out.append('string_constant_14')
    out.append('string_constant_15')
    out.append('string_constant_16')
    out.append('string_constant_17')
    out.append('string_constant_18')
    out.append('string_constant_19')
    out.append('string_constant_20')
    out.append('string_constant_21')
    out.append('string_constant_22')
    out.append('string_constant_23')
    out.append('string_constant_24')
    out.append('string_constant_25')
    out.append('string_constant_26')
    out.append('string_constant_27')
    out.append('string_constant_28')
    out.append('string_constant_29')
    out.append('string_constant_30')
    out.append('string_constant_31')
    out.append('string_constant_32')
    out.append('string_constant_33')
    out.append('string_constant_34')
    out.append('string_constant_35')
    out.append('string_constant_36')
    out.append('string_constant_37')
    out.append('string_constant_38')
    out.append('string_constant_39')
    out.append('string_constant_40')
    out.append('string_constant_41')
    out.append('string_constant_42')
    out.append('string_constant_43')
    out.append('string_constant_44')
    out.append('string_constant_45')
    out.append('string_constant_46')
    out.append('string_constant_47')
    out.append('string_constant_48')
    out.append('string_constant_49')
    out.append('string_constant_50')
    out.append('string_constant_51')
    out.append('string_constant_52')
    out.append('string_constant_53')
    out.append('string_constant_54')
    out.append('string_constant_55')
    out.append('string_constant_56')
    out.append('string_constant_57')
    out.append('string_constant_58')
    out.append('string_constant_59')
    out.append('string_constant_60')
    out.append('string_constant_61')
    out.append('string_constant_62')
    out.append('string_constant_63')
    out.append('string_constant_64')
    out.append('string_constant_65')
    out.append('string_constant_66')
    out.append('string_constant_67')
    out.append('string_constant_68')
    out.append('string_constant_69')
    out.append('string_constant_70')
    out.append('string_constant_71')
    out.append('string_constant_72')
    out.append('string_constant_73')
    out.append('string_constant_74')
    out.append('string_constant_75')
    out.append('string_constant_76')
    out.append('string_constant_77')
    out.append('string_constant_78')
    out.append('string_constant_79')
    out.append('string_constant_80')
    out.append('string_constant_81')
    out.append('string_constant_82')
    out.append('string_constant_83')
    out.append('string_constant_84')
    out.append('string_constant_85')
    out.append('string_constant_86')
    out.append('string_constant_87')
    out.append('string_constant_88')
    out.append('string_constant_89')
    out.append('string_constant_90')
    out.append('string_constant_91')
    out.append('string_constant_92')
    out.append('string_constant_93')
    out.append('string_constant_94')
    out.append('string_constant_95')
    out.append('string_constant_96')
    out.append('string_constant_97')
    out.append('string_constant_98')
    out.append('string_constant_99')
    out.append('string_constant_100')
    out.append('string_constant_101')
    out.append('string_constant_102')
    out.append('string_constant_103')
    out.append('string_constant_104')
    out.append('string_constant_105')
    out.append('string_constant_106')
    out.append('string_constant_107')
    out.append('string_constant_108')
    out.append('string_constant_109')
    out.append('string_constant_110')
    out.append('string_constant_111')
    out.append('string_constant_112')
    out.append('string_constant_113')
    out.append('string_constant_114')
    out.append('string_constant_115')
    out.append('string_constant_116')
    out.append('string_constant_117')
    out.append('string_constant_118')
    out.append('string_constant_119')
    out.append('string_constant_120')
    out.append('string_constant_121')
    out.append('string_constant_122')
    out.append('string_constant_123')
    out.append('string_constant_124')
    out.append('string_constant_125')
    out.append('string_constant_126')
    out.append('string_constant_127')
    out.append('string_constant_128')
    out.append('string_constant_129')
    out.append('string_constant_130')
    out.append('string_constant_131')
    out.append('string_constant_132')
    out.append('string_constant_133')
    out.append('string_constant_134')
    out.append('string_constant_135')
    out.append('string_constant_136')
    out.append('string_constant_137')
    out.append('string_constant_138')
    out.append('string_constant_139')
    out.append('string_constant_140')
    out.append('string_constant_141')
    out.append('string_constant_142')
    out.append('string_constant_143')
    out.append('string_constant_144')
    out.append('string_constant_145')
    out.append('string_constant_146')
    out.append('string_constant_147')
    out.append('string_constant_148')
    out.append('string_constant_149')
    out.append('string_constant_150')
    out.append('string_constant_151')
    out.append('string_constant_152')
    out.append('string_constant_153')
    out.append('string_constant_154')
    out.append('string_constant_155')
    out.append('string_constant_156')
    out.append('string_constant_157')
    out.append('string_constant_158')
    out.append('string_constant_159')
    out.append('string_constant_160')
    out.append('string_constant_161')
    out.append('string_constant_162')
    out.append('string_constant_163')
    out.append('string_constant_164')
    out.append('string_constant_165')
    out.append('string_constant_166')
    out.append('string_constant_167')
    out.append('string_constant_168')
    out.append('string_constant_169')
    out.append('string_constant_170')
    out.append('string_constant_171')
    out.append('string_constant_172')
    out.append('string_constant_173')
    out.append('string_constant_174')
    out.append('string_constant_175')
    out.append('string_constant_176')
    out.append('string_constant_177')
    out.append('string_constant_178')
    out.append('string_constant_179')
    out.append('string_constant_180')
    out.append('string_constant_181')
    out.append('string_constant_182')
    out.append('string_constant_183')
    out.append('string_constant_184')
    out.append('string_constant_185')
    out.append('string_constant_186')
    out.append('string_constant_187')
    out.append('string_constant_188')
    out.append('string_constant_189')
    out.append('string_constant_190')
    out.append('string_constant_191')
    out.append('string_constant_192')
    out.append('string_constant_193')
    out.append('string_constant_194')
    out.append('string_constant_195')
    out.append('string_constant_196')
    out.append('string_constant_197')
    out.append('string_constant_198')
    out.append('string_constant_199')
    out.append('string_constant_200')
    out.append('string_constant_201')
    out.append('string_constant_202')
    out.append('string_constant_203')
    out.append('string_constant_204')
    out.append('string_constant_205')
    out.append('string_constant_206')
    out.append('string_constant_207')
    out.append('string_constant_208')
    out.append('string_constant_209')
    out.append('string_constant_210')
    out.append('string_constant_211')
    out.append('string_constant_212')
    out.append('string_constant_213')
    out.append('string_constant_214')
    out.append('string_constant_215')
    out.append('string_constant_216')
    out.append('string_constant_217')
    out.append('string_constant_218')
    out.append('string_constant_219')
    out.append('string_constant_220')
    out.append('string_constant_221')
    out.append('string_constant_222')
    out.append('string_constant_223')
    out.append('string_constant_224')
    out.append('string_constant_225')
    out.append('string_constant_226')
    out.append('string_constant_227')
    out.append('string_constant_228')
    out.append('string_constant_229')
    out.append('string_constant_230')
    out.append('string_constant_231')
    out.append('string_constant_232')
    out.append('string_constant_233')
    out.append('string_constant_234')
    out.append('string_constant_235')
    out.append('string_constant_236')
    out.append('string_constant_237')
    out.append('string_constant_238')
    out.append('string_constant_239')
    out.append('string_constant_240')
    out.append('string_constant_241')
    out.append('string_constant_242')
    out.append('string_constant_243')
    out.append('string_constant_244')
    out.append('string_constant_245')
    out.append('string_constant_246')
    out.append('string_constant_247')
    out.append('string_constant_248')
    out.append('string_constant_249')
    out.append('string_constant_250')
    out.append('string_constant_251')
    out.append('string_constant_252')
    out.append('string_constant_253')
    out.append('string_constant_254')
    out.append('string_constant_255')
    out.append('string_constant_256')
    out.append('string_constant_257')
    out.append('string_constant_258')
    out.append('string_constant_259')
    out.append('string_constant_260')
    out.append('string_constant_261')
    out.append('string_constant_262')
    out.append('string_constant_263')
    out.append('string_constant_264')
    out.append('string_constant_265')
    out.append('string_constant_266')
    out.append('string_constant_267')
    out.append('string_constant_268')
    out.append('string_constant_269')
    out.append('string_constant_270')
    out.append('string_constant_271')
    out.append('string_constant_272')
    out.append('string_constant_273')
    out.append('string_constant_274')
    out.append('string_constant_275')
    out.append('string_constant_276')
    out.append('string_constant_277')
    out.append('string_constant_278')
    out.append('string_constant_279')
    out.append('string_constant_280')
    out.append('string_constant_281')
    out.append('string_constant_282')
    out.append('string_constant_283')
    out.append('string_constant_284')
    out.append('string_constant_285')
    out.append('string_constant_286')
    out.append('string_constant_287')
    out.append('string_constant_288')
    out.append('string_constant_289')
    out.append('string_constant_290')
    out.append('string_constant_291')
    out.append('string_constant_292')
    out.append('string_constant_293')
    out.append('string_constant_294')
    out.append('string_constant_295')
    out.append('string_constant_296')
    out.append('string_constant_297')
    out.append('string_constant_298')
    out.append('string_constant_299')
    return len(out), out[0], out[128], out[299]
print(strings())
def floats():
    total = 0.0
    total += 0.5
    total += 1.5
    total += 2.5
    total += 3.5
    total += 4.5
    total += 5.5
    total += 6.5
    total += 7.5
    total += 8.5
    total += 9.5
    total += 10.5
    total += 11.5
    total += 12.5
    total += 13.5
    total += 14.5
    total += 15.5
    total += 16.5
    total += 17.5
    total += 18.5
    total += 19.5
    total += 20.5
    total += 21.5
    total += 22.5
    total += 23.5
    total += 24.5
    total += 25.5
    total += 26.5
    total += 27.5
    total += 28.5
    total += 29.5
    total += 30.5
    total += 31.5
    total += 32.5
    total += 33.5
    total += 34.5
    total += 35.5
    total += 36.5
    total += 37.5
    total += 38.5
    total += 39.5
    total += 40.5
    total += 41.5
    total += 42.5
    total += 43.5
    total += 44.5
    total += 45.5
    total += 46.5
    total += 47.5
    total += 48.5
    total += 49.5
    total += 50.5
    total += 51.5
    total += 52.5
    total += 53.5
    total += 54.5
    total += 55.5
    total += 56.5
    total += 57.5
    total += 58.5
    total += 59.5
    total += 60.5
    total += 61.5
    total += 62.5
    total += 63.5
    total += 64.5
    total += 65.5
    total += 66.5
    total += 67.5
    total += 68.5
    total += 69.5
    total += 70.5
    total += 71.5
    total += 72.5
    total += 73.5
    total += 74.5
    total += 75.5
    total += 76.5
    total += 77.5
    total += 78.5
    total += 79.5
    total += 80.5
    total += 81.5
    total += 82.5
    total += 83.5
    total += 84.5
    total += 85.5
    total += 86.5
    total += 87.5
    total += 88.5
    total += 89.5
    total += 90.5
    total += 91.5
    total += 92.5
    total += 93.5
    total += 94.5
    total += 95.5
    total += 96.5
    total += 97.5
    total += 98.5
    total += 99.5
    total += 100.5
    total += 101.5
    total += 102.5
    total += 103.5
    total += 104.5
    total += 105.5
    total += 106.5
    total += 107.5
    total += 108.5
    total += 109.5
    total += 110.5
    total += 111.5
    total += 112.5
    total += 113.5
    total += 114.5
    total += 115.5
    total += 116.5
    total += 117.5
    total += 118.5
    total += 119.5
    total += 120.5
    total += 121.5
    total += 122.5
    total += 123.5
    total += 124.5
    total += 125.5
    total += 126.5
    total += 127.5
    total += 128.5
    total += 129.5
    total += 130.5
    total += 131.5
    total += 132.5
    total += 133.5
    total += 134.5
    total += 135.5
    total += 136.5
    total += 137.5
    total += 138.5
    total += 139.5
    total += 140.5
    total += 141.5
    total += 142.5
    total += 143.5
    total += 144.5
    total += 145.5
    total += 146.5
    total += 147.5
    total += 148.5
    total += 149.5
    total += 150.5
    total += 151.5
    total += 152.5
    total += 153.5
    total += 154.5
    total += 155.5
    total += 156.5
    total += 157.5
    total += 158.5
    total += 159.5
    total += 160.5
    total += 161.5
    total += 162.5
    total += 163.5
    total += 164.5
    total += 165.5
    total += 166.5
    total += 167.5
    total += 168.5
    total += 169.5
    total += 170.5
    total += 171.5
    total += 172.5
    total += 173.5
    total += 174.5
    total += 175.5
    total += 176.5
    total += 177.5
    total += 178.5
    total += 179.5
    total += 180.5
    total += 181.5
    total += 182.5
    total += 183.5
    total += 184.5
    total += 185.5
    total += 186.5
    total += 187.5
    total += 188.5
    total += 189.5
    total += 190.5
    total += 191.5
    total += 192.5
    total += 193.5
    total += 194.5
    total += 195.5
    total += 196.5
    total += 197.5
    total += 198.5
    total += 199.5
    total += 200.5
    total += 201.5
    total += 202.5
    total += 203.5
    total += 204.5
    total += 205.5
    total += 206.5
    total += 207.5
    total += 208.5
    total += 209.5
    total += 210.5
    total += 211.5
    total += 212.5
    total += 213.5
    total += 214.5
    total += 215.5
    total += 216.5
    total += 217.5
    total += 218.5
    total += 219.5
    total += 220.5
    total += 221.5
    total += 222.5
    total += 223.5
    total += 224.5
    total += 225.5
    total += 226.5
    total += 227.5
    total += 228.5
    total += 229.5
    total += 230.5
    total += 231.5
    total += 232.5
    total += 233.5
    total += 234.5
    total += 235.5
    total += 236.5
    total += 237.5
    total += 238.5
    total += 239.5
    total += 240.5
    total += 241.5
    total += 242.5
    total += 243.5
    total += 244.5
    total += 245.5
    total += 246.5
    total += 247.5
    total += 248.5
    total += 249.5
    total += 250.5
    total += 251.5
    total += 252.5
    total += 253.5
    total += 254.5
    total += 255.5
    total += 256.5
    total += 257.5
    total += 258.5
    total += 259.5
    total += 260.5
    total += 261.5
    total += 262.5
    total += 263.5
    total += 264.5
    total += 265.5
    total += 266.5
    total += 267.5
    total += 268.5
    total += 269.5
    total += 270.5
    total += 271.5
    total += 272.5
    total += 273.5
    total += 274.5
    total += 275.5
    total += 276.5
    total += 277.5
    total += 278.5
    total += 279.5
    return total
print(floats())
def big_ints():
    total = 0
    total += 100000000000000000000
    total += 100000000000000000001
    total += 100000000000000000002
    total += 100000000000000000003
    total += 100000000000000000004
    total += 100000000000000000005
    total += 100000000000000000006
    total += 100000000000000000007
    total += 100000000000000000008
    total += 100000000000000000009
    total += 100000000000000000010
    total += 100000000000000000011
    total += 100000000000000000012
    total += 100000000000000000013
    total += 100000000000000000014
    total += 100000000000000000015
    total += 100000000000000000016
    total += 100000000000000000017
    total += 100000000000000000018
    total += 100000000000000000019
    total += 100000000000000000020
    total += 100000000000000000021
    total += 100000000000000000022
    total += 100000000000000000023
    total += 100000000000000000024
    total += 100000000000000000025
    total += 100000000000000000026
    total += 100000000000000000027
    total += 100000000000000000028
    total += 100000000000000000029
    total += 100000000000000000030
    total += 100000000000000000031
    total += 100000000000000000032
    total += 100000000000000000033
    total += 100000000000000000034
    total += 100000000000000000035
    total += 100000000000000000036
    total += 100000000000000000037
    total += 100000000000000000038
    total += 100000000000000000039
    total += 100000000000000000040
    total += 100000000000000000041
    total += 100000000000000000042
    total += 100000000000000000043
    total += 100000000000000000044
    total += 100000000000000000045
    total += 100000000000000000046
    total += 100000000000000000047
    total += 100000000000000000048
    total += 100000000000000000049
    total += 100000000000000000050
    total += 100000000000000000051
    total += 100000000000000000052
    total += 100000000000000000053
    total += 100000000000000000054
    total += 100000000000000000055
    total += 100000000000000000056
    total += 100000000000000000057
    total += 100000000000000000058
    total += 100000000000000000059
    total += 100000000000000000060
    total += 100000000000000000061
    total += 100000000000000000062
    total += 100000000000000000063
    total += 100000000000000000064
    total += 100000000000000000065
    total += 100000000000000000066
    total += 100000000000000000067
    total += 100000000000000000068
    total += 100000000000000000069
    total += 100000000000000000070
    total += 100000000000000000071
    total += 100000000000000000072
    total += 100000000000000000073
    total += 100000000000000000074
    total += 100000000000000000075
    total += 100000000000000000076
    total += 100000000000000000077
    total += 100000000000000000078
    total += 100000000000000000079
    total += 100000000000000000080
    total += 100000000000000000081
    total += 100000000000000000082
    total += 100000000000000000083
    total += 100000000000000000084
    total += 100000000000000000085
    total += 100000000000000000086
    total += 100000000000000000087
    total += 100000000000000000088
    total += 100000000000000000089
    total += 100000000000000000090
    total += 100000000000000000091
    total += 100000000000000000092
    total += 100000000000000000093
    total += 100000000000000000094
    total += 100000000000000000095
    total += 100000000000000000096
    total += 100000000000000000097
    total += 100000000000000000098
    total += 100000000000000000099
    total += 100000000000000000100
    total += 100000000000000000101
    total += 100000000000000000102
    total += 100000000000000000103
    total += 100000000000000000104
    total += 100000000000000000105
    total += 100000000000000000106
    total += 100000000000000000107
    total += 100000000000000000108
    total += 100000000000000000109
    total += 100000000000000000110
    total += 100000000000000000111
    total += 100000000000000000112
    total += 100000000000000000113
    total += 100000000000000000114
    total += 100000000000000000115
    total += 100000000000000000116
    total += 100000000000000000117
    total += 100000000000000000118
    total += 100000000000000000119
    total += 100000000000000000120
    total += 100000000000000000121
    total += 100000000000000000122
    total += 100000000000000000123
    total += 100000000000000000124
    total += 100000000000000000125
    total += 100000000000000000126
    total += 100000000000000000127
    total += 100000000000000000128
    total += 100000000000000000129
    total += 100000000000000000130
    total += 100000000000000000131
    total += 100000000000000000132
    total += 100000000000000000133
    total += 100000000000000000134
    total += 100000000000000000135
    total += 100000000000000000136
    total += 100000000000000000137
    total += 100000000000000000138
    total += 100000000000000000139
    total += 100000000000000000140
    total += 100000000000000000141
    total += 100000000000000000142
    total += 100000000000000000143
    total += 100000000000000000144
    total += 100000000000000000145
    total += 100000000000000000146
    total += 100000000000000000147
    total += 100000000000000000148
    total += 100000000000000000149
    total += 100000000000000000150
    total += 100000000000000000151
    total += 100000000000000000152
    total += 100000000000000000153
    total += 100000000000000000154
    total += 100000000000000000155
    total += 100000000000000000156
    total += 100000000000000000157
    total += 100000000000000000158
    total += 100000000000000000159
    total += 100000000000000000160
    total += 100000000000000000161
    total += 100000000000000000162
    total += 100000000000000000163
    total += 100000000000000000164
    total += 100000000000000000165
    total += 100000000000000000166
    total += 100000000000000000167
    total += 100000000000000000168
    total += 100000000000000000169
    total += 100000000000000000170
    total += 100000000000000000171
    total += 100000000000000000172
    total += 100000000000000000173
    total += 100000000000000000174
    total += 100000000000000000175
    total += 100000000000000000176
    total += 100000000000000000177
    total += 100000000000000000178
    total += 100000000000000000179
    total += 100000000000000000180
    total += 100000000000000000181
    total += 100000000000000000182
    total += 100000000000000000183
    total += 100000000000000000184
    total += 100000000000000000185
    total += 100000000000000000186
    total += 100000000000000000187
    total += 100000000000000000188
    total += 100000000000000000189
    total += 100000000000000000190
    total += 100000000000000000191
    total += 100000000000000000192
    total += 100000000000000000193
    total += 100000000000000000194
    total += 100000000000000000195
    total += 100000000000000000196
    total += 100000000000000000197
    total += 100000000000000000198
    total += 100000000000000000199
    total += 100000000000000000200
    total += 100000000000000000201
    total += 100000000000000000202
    total += 100000000000000000203
    total += 100000000000000000204
    total += 100000000000000000205
    total += 100000000000000000206
    total += 100000000000000000207
    total += 100000000000000000208
    total += 100000000000000000209
    total += 100000000000000000210
    total += 100000000000000000211
    total += 100000000000000000212
    total += 100000000000000000213
    total += 100000000000000000214
    total += 100000000000000000215
    total += 100000000000000000216
    total += 100000000000000000217
    total += 100000000000000000218
    total += 100000000000000000219
    total += 100000000000000000220
    total += 100000000000000000221
    total += 100000000000000000222
    total += 100000000000000000223
    total += 100000000000000000224
    total += 100000000000000000225
    total += 100000000000000000226
    total += 100000000000000000227
    total += 100000000000000000228
    total += 100000000000000000229
    total += 100000000000000000230
    total += 100000000000000000231
    total += 100000000000000000232
    total += 100000000000000000233
    total += 100000000000000000234
    total += 100000000000000000235
    total += 100000000000000000236
    total += 100000000000000000237
    total += 100000000000000000238
    total += 100000000000000000239
    total += 100000000000000000240
    total += 100000000000000000241
    total += 100000000000000000242
    total += 100000000000000000243
    total += 100000000000000000244
    total += 100000000000000000245
    total += 100000000000000000246
    total += 100000000000000000247
    total += 100000000000000000248
    total += 100000000000000000249
    total += 100000000000000000250
    total += 100000000000000000251
    total += 100000000000000000252
    total += 100000000000000000253
    total += 100000000000000000254
    total += 100000000000000000255
    total += 100000000000000000256
    total += 100000000000000000257
    total += 100000000000000000258
    total += 100000000000000000259
    total += 100000000000000000260
    total += 100000000000000000261
    total += 100000000000000000262
    total += 100000000000000000263
    total += 100000000000000000264
    total += 100000000000000000265
    total += 100000000000000000266
    total += 100000000000000000267
    total += 100000000000000000268
    total += 100000000000000000269
    return total
print(big_ints())
blobs = [
    b'blob0',
    b'blob1',
    b'blob2',
    b'blob3',
    b'blob4',
    b'blob5',
    b'blob6',
    b'blob7',
    b'blob8',
    b'blob9',
    b'blob10',
    b'blob11',
    b'blob12',
    b'blob13',
    b'blob14',
    b'blob15',
    b'blob16',
    b'blob17',
    b'blob18',
    b'blob19',
    b'blob20',
    b'blob21',
    b'blob22',
    b'blob23',
    b'blob24',
    b'blob25',
    b'blob26',
    b'blob27',
    b'blob28',
    b'blob29',
    b'blob30',
    b'blob31',
    b'blob32',
    b'blob33',
    b'blob34',
    b'blob35',
    b'blob36',
    b'blob37',
    b'blob38',
    b'blob39',
    b'blob40',
    b'blob41',
    b'blob42',
    b'blob43',
    b'blob44',
    b'blob45',
    b'blob46',
    b'blob47',
    b'blob48',
    b'blob49',
    b'blob50',
    b'blob51',
    b'blob52',
    b'blob53',
    b'blob54',
    b'blob55',
    b'blob56',
    b'blob57',
    b'blob58',
    b'blob59',
    b'blob60',
    b'blob61',
    b'blob62',
    b'blob63',
    b'blob64',
    b'blob65',
    b'blob66',
    b'blob67',
    b'blob68',
    b'blob69',
    b'blob70',
    b'blob71',
    b'blob72',
    b'blob73',
    b'blob74',
    b'blob75',
    b'blob76',
    b'blob77',
    b'blob78',
    b'blob79',
    b'blob80',
    b'blob81',
    b'blob82',
    b'blob83',
    b'blob84',
    b'blob85',
    b'blob86',
    b'blob87',
    b'blob88',
    b'blob89',
    b'blob90',
    b'blob91',
    b'blob92',
    b'blob93',
    b'blob94',
    b'blob95',
    b'blob96',
    b'blob97',
    b'blob98',
    b'blob99',
    b'blob100',
    b'blob101',
    b'blob102',
    b'blob103',
    b'blob104',
    b'blob105',
    b'blob106',
    b'blob107',
    b'blob108',
    b'blob109',
    b'blob110',
    b'blob111',
    b'blob112',
    b'blob113',
    b'blob114',
    b'blob115',
    b'blob116',
    b'blob117',
    b'blob118',
    b'blob119',
    b'blob120',
    b'blob121',
    b'blob122',
    b'blob123',
    b'blob124',
    b'blob125',
    b'blob126',
    b'blob127',
    b'blob128',
    b'blob129',
    b'blob130',
    b'blob131',
    b'blob132',
    b'blob133',
    b'blob134',
    b'blob135',
    b'blob136',
    b'blob137',
    b'blob138',
    b'blob139',
    b'blob140',
    b'blob141',
    b'blob142',
    b'blob143',
    b'blob144',
    b'blob145',
    b'blob146',
    b'blob147',
    b'blob148',
    b'blob149',
    b'blob150',
    b'blob151',
    b'blob152',
    b'blob153',
    b'blob154',
    b'blob155',
    b'blob156',
    b'blob157',
    b'blob158',
    b'blob159',
    b'blob160',
    b'blob161',
    b'blob162',
    b'blob163',
    b'blob164',
    b'blob165',
    b'blob166',
    b'blob167',
    b'blob168',
    b'blob169',
    b'blob170',
    b'blob171',
    b'blob172',
    b'blob173',
    b'blob174',
    b'blob175',
    b'blob176',
    b'blob177',
    b'blob178',
    b'blob179',
    b'blob180',
    b'blob181',
    b'blob182',
    b'blob183',
    b'blob184',
    b'blob185',
    b'blob186',
    b'blob187',
    b'blob188',
    b'blob189',
    b'blob190',
    b'blob191',
    b'blob192',
    b'blob193',
    b'blob194',
    b'blob195',
    b'blob196',
    b'blob197',
    b'blob198',
    b'blob199',
    b'blob200',
    b'blob201',
    b'blob202',
    b'blob203',
    b'blob204',
    b'blob205',
    b'blob206',
    b'blob207',
    b'blob208',
    b'blob209',
    b'blob210',
    b'blob211',
    b'blob212',
    b'blob213',
    b'blob214',
    b'blob215',
    b'blob216',
    b'blob217',
    b'blob218',
    b'blob219',
    b'blob220',
    b'blob221',
    b'blob222',
    b'blob223',
    b'blob224',
    b'blob225',
    b'blob226',
    b'blob227',
    b'blob228',
    b'blob229',
    b'blob230',
    b'blob231',
    b'blob232',
    b'blob233',
    b'blob234',
    b'blob235',
    b'blob236',
    b'blob237',
    b'blob238',
    b'blob239',
    b'blob240',
    b'blob241',
    b'blob242',
    b'blob243',
    b'blob244',
    b'blob245',
    b'blob246',
    b'blob247',
    b'blob248',
    b'blob249',
    b'blob250',
    b'blob251',
    b'blob252',
    b'blob253',
    b'blob254',
    b'blob255',
    b'blob256',
    b'blob257',
    b'blob258',
    b'blob259',
]
print(len(blobs), blobs[0], blobs[259])
names = {}
name_0 = 0
name_1 = 1
name_2 = 2
name_3 = 3
name_4 = 4
name_5 = 5
name_6 = 6
name_7 = 7
name_8 = 8
name_9 = 9
name_10 = 10
name_11 = 11
name_12 = 12
name_13 = 13
name_14 = 14
name_15 = 15
name_16 = 16
name_17 = 17
name_18 = 18
name_19 = 19
name_20 = 20
name_21 = 21
name_22 = 22
name_23 = 23
name_24 = 24
name_25 = 25
name_26 = 26
name_27 = 27
name_28 = 28
name_29 = 29
name_30 = 30
name_31 = 31
name_32 = 32
name_33 = 33
name_34 = 34
name_35 = 35
name_36 = 36
name_37 = 37
name_38 = 38
name_39 = 39
name_40 = 40
name_41 = 41
name_42 = 42
name_43 = 43
name_44 = 44
name_45 = 45
name_46 = 46
name_47 = 47
name_48 = 48
name_49 = 49
name_50 = 50
name_51 = 51
name_52 = 52
name_53 = 53
name_54 = 54
name_55 = 55
name_56 = 56
name_57 = 57
name_58 = 58
name_59 = 59
name_60 = 60
name_61 = 61
name_62 = 62
name_63 = 63
name_64 = 64
name_65 = 65
name_66 = 66
name_67 = 67
name_68 = 68
name_69 = 69
name_70 = 70
name_71 = 71
name_72 = 72
name_73 = 73
name_74 = 74
name_75 = 75
name_76 = 76
name_77 = 77
name_78 = 78
name_79 = 79
name_80 = 80
name_81 = 81
name_82 = 82
name_83 = 83
name_84 = 84
name_85 = 85
name_86 = 86
name_87 = 87
name_88 = 88
name_89 = 89
name_90 = 90
name_91 = 91
name_92 = 92
name_93 = 93
name_94 = 94
name_95 = 95
name_96 = 96
name_97 = 97
name_98 = 98
name_99 = 99
name_100 = 100
name_101 = 101
name_102 = 102
name_103 = 103
name_104 = 104
name_105 = 105
name_106 = 106
name_107 = 107
name_108 = 108
name_109 = 109
name_110 = 110
name_111 = 111
name_112 = 112
name_113 = 113
name_114 = 114
name_115 = 115
name_116 = 116
name_117 = 117
name_118 = 118
name_119 = 119
name_120 = 120
name_121 = 121
name_122 = 122
name_123 = 123
name_124 = 124
name_125 = 125
name_126 = 126
name_127 = 127
name_128 = 128
name_129 = 129
name_130 = 130
name_131 = 131
name_132 = 132
name_133 = 133
name_134 = 134
name_135 = 135
name_136 = 136
name_137 = 137
name_138 = 138
name_139 = 139
name_140 = 140
name_141 = 141
name_142 = 142
name_143 = 143
name_144 = 144
name_145 = 145
name_146 = 146
name_147 = 147
name_148 = 148
name_149 = 149
name_150 = 150
name_151 = 151
name_152 = 152
name_153 = 153
name_154 = 154
name_155 = 155
name_156 = 156
name_157 = 157
name_158 = 158
name_159 = 159
name_160 = 160
name_161 = 161
name_162 = 162
name_163 = 163
name_164 = 164
name_165 = 165
name_166 = 166
name_167 = 167
name_168 = 168
name_169 = 169
name_170 = 170
name_171 = 171
name_172 = 172
name_173 = 173
name_174 = 174
name_175 = 175
name_176 = 176
name_177 = 177
name_178 = 178
name_179 = 179
name_180 = 180
name_181 = 181
name_182 = 182
name_183 = 183
name_184 = 184
name_185 = 185
name_186 = 186
name_187 = 187
name_188 = 188
name_189 = 189
name_190 = 190
name_191 = 191
name_192 = 192
name_193 = 193
name_194 = 194
name_195 = 195
name_196 = 196
name_197 = 197
name_198 = 198
name_199 = 199
name_200 = 200
name_201 = 201
name_202 = 202
name_203 = 203
name_204 = 204
name_205 = 205
name_206 = 206
name_207 = 207
name_208 = 208
name_209 = 209
name_210 = 210
name_211 = 211
name_212 = 212
name_213 = 213
name_214 = 214
name_215 = 215
name_216 = 216
name_217 = 217
name_218 = 218
name_219 = 219
name_220 = 220
name_221 = 221
name_222 = 222
name_223 = 223
name_224 = 224
name_225 = 225
name_226 = 226
name_227 = 227
name_228 = 228
name_229 = 229
name_230 = 230
name_231 = 231
name_232 = 232
name_233 = 233
name_234 = 234
name_235 = 235
name_236 = 236
name_237 = 237
name_238 = 238
name_239 = 239
name_240 = 240
name_241 = 241
name_242 = 242
name_243 = 243
name_244 = 244
name_245 = 245
name_246 = 246
name_247 = 247
name_248 = 248
name_249 = 249
name_250 = 250
name_251 = 251
name_252 = 252
name_253 = 253
name_254 = 254
name_255 = 255
name_256 = 256
name_257 = 257
name_258 = 258
name_259 = 259
print(name_0 + name_127 + name_128 + name_259)
