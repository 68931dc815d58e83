"""Operations (eksploatacja): deployment checks, health, worker, backup and restore, logs."""
