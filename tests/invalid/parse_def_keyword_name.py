def for(): pass
