// One process with both emulators, the master and worker bots on the embedded adapters.
