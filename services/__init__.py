"""The five domain services of Youth City, and the kit they share (`services.common`)."""
