package web

// SetOnRender makes s tell f the view-model type of every page it
// renders, so that a test can prove it rendered every page there is.
func SetOnRender(s *Server, f func(page string)) { s.onRender = f }

// FrenchDuration is frenchDuration, which the information pages write lifetimes with.
var FrenchDuration = frenchDuration
