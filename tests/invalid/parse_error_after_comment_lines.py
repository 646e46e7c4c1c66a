x = 1
# comment

# more
y = = 2
