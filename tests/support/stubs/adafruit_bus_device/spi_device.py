"""Import-time stand-in for adafruit_bus_device.spi_device."""
from _stub import make_getattr

__getattr__ = make_getattr()
