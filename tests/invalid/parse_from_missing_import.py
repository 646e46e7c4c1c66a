from os
