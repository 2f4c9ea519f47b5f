namespace annotune::ui { void placeholder() {} }
