// Each test starts real processes; on a small machine running them side by side only makes every one slower.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
