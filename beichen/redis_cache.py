"""Django's own Redis cache backend, reusing one Redis client per connection pool.

django.core.cache.backends.redis.RedisCacheClient builds a new redis.Redis object (and its
table of ~170 response callbacks) for every cache operation; on a cached page that is a large
part of the request. The client is thread-safe and its pool checks the process id after a
fork, so one client per pool is kept instead. Everything else is Django's backend unchanged.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
