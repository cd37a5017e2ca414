"""The public API, one mixin of routes per area; `GatewayService` composes them."""
