"""National benchmarking: every area side by side, spine charts and one national download."""
