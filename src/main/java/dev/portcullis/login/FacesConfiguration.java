package dev.portcullis.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.faces.annotation.FacesConfig;

/** Activates Jakarta Faces and its CDI integration (WildFly needs it; harmless on Payara). */
@FacesConfig
@ApplicationScoped
public class FacesConfiguration {}
