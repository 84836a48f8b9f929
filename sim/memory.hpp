// sim/memory.hpp — the process's resident memory, read from /proc, and the
// machine's physical memory.
#pragma once

#include <cstddef>
#include <cstdio>
#include <unistd.h>

namespace sim {

inline std::size_t resident_bytes() {
    long pages = 0, resident = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

inline std::size_t peak_resident_bytes() {
    std::size_t kib = 0;
    if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f))
            if (std::sscanf(line, "VmHWM: %zu kB", &kib) == 1) break;
        std::fclose(f);
    }
    return kib * 1024;
}

// The machine's physical memory in bytes (0 if unknown).
inline std::size_t physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(size) : 0;
}

}  // namespace sim
