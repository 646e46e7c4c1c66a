x = f'}'
y = f'{a + }'
