package webapi

// PerMinute is how many calls a minute the client lets out to a Web API
// method, at its tier's floor; 0 for a method it does not pace.
func PerMinute(method string) int { return methodPaces[method].perMinute }
