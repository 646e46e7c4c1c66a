"""Import-time stand-in for the adafruit_bus_device package."""
