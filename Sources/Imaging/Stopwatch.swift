/// Times consecutive stages: each lap is the time since the previous one (or since the start).
struct Stopwatch {
    private var mark = ContinuousClock.now

    mutating func lap() -> Duration {
        let now = ContinuousClock.now
        defer { mark = now }
        return now - mark
    }
}
