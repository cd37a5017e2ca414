"""The platform as a whole: its list of services and the `youthcity` command that runs them."""
