# A table-driven state machine, an event queue and a small class hierarchy working together.
from micropython import const
IDLE = const(0)
RUNNING = const(1)
PAUSED = const(2)
STOPPED = const(3)
NAMES = {IDLE: "idle", RUNNING: "running", PAUSED: "paused", STOPPED: "stopped"}
class Machine:
    TRANSITIONS = {
        (IDLE, "start"): RUNNING,
        (RUNNING, "pause"): PAUSED,
        (PAUSED, "resume"): RUNNING,
        (RUNNING, "stop"): STOPPED,
        (PAUSED, "stop"): STOPPED,
    }
    def __init__(self):
        self.state = IDLE
        self.log = []
    def fire(self, event):
        key = (self.state, event)
        if key not in self.TRANSITIONS:
            self.log.append("ignored %s in %s" % (event, NAMES[self.state]))
            return False
        old, self.state = self.state, self.TRANSITIONS[key]
        self.log.append("%s -> %s" % (NAMES[old], NAMES[self.state]))
        self.on_change(old, self.state)
        return True
    def on_change(self, old, new):
        pass
class Counting(Machine):
    def __init__(self):
        super().__init__()
        self.changes = 0
    def on_change(self, old, new):
        self.changes += 1
m = Counting()
events = ["pause", "start", "pause", "pause", "resume", "stop", "start"]
results = [m.fire(e) for e in events]
print(results, m.changes, NAMES[m.state])
for entry in m.log:
    print(entry)
queue = list(range(5))
processed = []
while queue:
    item = queue.pop(0)
    if item % 2 == 0 and item < 4:
        queue.append(item + 5)
    processed.append(item)
print(processed)
