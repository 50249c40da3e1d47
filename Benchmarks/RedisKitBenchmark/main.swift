import RedisKit
print("RedisKit benchmark: not built yet")
