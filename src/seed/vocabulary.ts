/**
 * Word lists for demo data. Accents, diaereses, cedillas and apostrophes are deliberate: they
 * are what search folding and name ordering must handle (Hélène, Zoë, François, O'Brien).
 */
export type Locale = 'fr' | 'en';

export const FIRST_NAMES: Record<Locale, readonly string[]> = {
  fr: [
    'Hélène', 'Zoë', 'François', 'Chloé', 'Noël', 'Élodie', 'Émile', 'Gaëlle', 'Jérôme', 'Anaïs', 'Benoît', 'Cécile',
    'Loïc', 'Maëlle', 'Stéphane', 'Thérèse', 'Aurélie', 'Raphaël', 'Joël', 'Agnès', 'Léa', 'Mathéo', 'Inès', 'Théo',
    'Camille', 'Julien', 'Sophie', 'Nicolas', 'Manon', 'Antoine', 'Léon', 'Margaux', 'Hugo', 'Océane', 'Clément',
    'Françoise', 'Jean-Luc', 'Marie-José', 'Gérard', 'Régine', 'Séverine', 'Valérie', 'Frédéric', 'Ophélie', 'Mélanie',
  ],
  en: [
    'Alice', 'Oliver', 'Charlotte', 'Harry', 'Amelia', 'George', 'Emma', 'Jack', 'Olivia', 'Noah', 'Isla', 'Thomas',
    'Sophie', 'William', 'Grace', 'James', 'Zoë', 'Renée', 'Chloë', 'Daniel', 'Ella', 'Samuel', 'Ruby', 'Joseph',
    'Freya', 'Henry', 'Evie', 'Arthur', 'Lily', 'Oscar', 'Mia', 'Edward', 'Poppy', 'Benjamin', 'Niamh', 'Seán',
  ],
};

export const LAST_NAMES: Record<Locale, readonly string[]> = {
  fr: [
    'Dupont', 'Lefèvre', 'Martin', 'Bérard', 'Gauthier', 'Côté', 'Lemaître', 'Giraud', 'Ménard', 'Séguin', 'Chevalier',
    'Bélanger', 'Durand', 'Moreau', 'Lambert', 'Rousseau', 'Fournier', 'Girard', 'Mercier', 'Blanchard', 'Guérin',
    'Boucher', 'Lefebvre', 'Noël', 'Perrault', "D'Arcy", 'Le Goff', 'Kerné', 'Féraud', 'Brûlé', 'Aubé', 'Hébert',
    'Thibault', 'Lévêque', 'Pâris', 'Dubœuf', 'Saint-Exupéry', 'Garçon', 'Bézier', 'Marchal',
  ],
  en: [
    'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', "O'Brien", 'Robinson', 'Wright',
    'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Brontë',
    'Whitfield', 'Ashworth', 'McAllister', 'Fitzgerald', 'Hughes', 'Edwards', 'Turner', 'Müller', 'Nguyễn', 'García',
  ],
};

/** Company names are built from a pattern and a surname or a noun. */
export const COMPANY_PATTERNS: Record<Locale, readonly string[]> = {
  fr: [
    'Boulangerie {last}', 'Atelier {last} & Fils', 'Cabinet {last}', 'Garage {last}', '{last} Conseil', 'Maison {last}',
    'Pharmacie du {place}', 'Société {noun}', '{noun} Études', 'Les Jardins de {place}', 'Brasserie du {place}',
    'Hôtel {last}', 'Éditions {last}', 'Transports {last}', '{noun} Rénovation', 'Fromagerie {last}',
  ],
  en: [
    '{last} & Sons', '{last} Consulting', '{noun} Labs', '{last} Bakery', '{noun} Logistics', '{last} Partners',
    'The {noun} Company', '{place} Books', '{last} Design Studio', '{noun} Analytics', '{last} Hardware',
  ],
};

export const COMPANY_NOUNS: readonly string[] = [
  'Horizon', 'Boréal', 'Étoile', 'Cèdre', 'Azur', 'Helios', 'Lumière', 'Northwind', 'Bluebell', 'Granite', 'Kestrel',
  'Océan', 'Mistral', 'Sirocco', 'Ardoise', 'Orchard', 'Meridian', 'Vanguard', 'Château', 'Prisme',
];

export const PLACES: Record<Locale, readonly string[]> = {
  fr: ['Marché', 'Château', 'Vieux-Port', 'Pont-Neuf', 'Bourg', 'Lac', 'Moulin', 'Parc', 'Quai', 'Mont-Blanc'],
  en: ['Camden', 'Brighton', 'Leeds', 'Oxford', 'Bristol', 'York', 'Bath', 'Cardiff', 'Kendal', 'Dundee'],
};

export const CITIES: Record<Locale, readonly string[]> = {
  fr: ['Paris', 'Lyon', 'Nantes', 'Besançon', 'Orléans', 'Nîmes', 'Montréal', 'Québec', 'Genève', 'Bruxelles'],
  en: ['London', 'Manchester', 'Edinburgh', 'Dublin', 'Bristol', 'Leeds', 'Toronto', 'Boston', 'Belfast'],
};

export const PERSONAL_MAIL_DOMAINS: Record<Locale, readonly string[]> = {
  fr: ['orange.fr', 'laposte.net', 'free.fr', 'gmail.com', 'sfr.fr', 'outlook.fr'],
  en: ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'btinternet.com', 'icloud.com'],
};

export const TAGS: readonly string[] = [
  'vip', 'newsletter', 'b2b', 'b2c', 'partenaire', 'partner', 'salon-2025', 'export', 'urgent', 'fidèle',
  'référence', 'renewal', 'trial', 'churn-risk', 'événement', 'grand-compte', 'upsell', 'pme',
];

export const CLIENT_NOTES: Record<Locale, readonly string[]> = {
  fr: [
    'Préfère être appelé le matin.', 'Contact principal pour la facturation.', 'Rencontré au salon de {city}.',
    'Budget validé pour le deuxième semestre.', 'Très réactif par e-mail ☕.', 'Ne pas appeler le vendredi après-midi.',
    'Recommandé par {first} — à soigner !', 'Souhaite un devis détaillé avant toute décision.',
  ],
  en: [
    'Prefers calls in the morning.', 'Main contact for invoicing.', 'Met at the {city} trade fair.',
    'Budget approved for next quarter.', 'Replies fast by email 👍.', 'Do not call on Friday afternoons.',
    'Referred by {first}: look after them!', 'Wants a detailed quote before deciding.',
  ],
};

export const EXCHANGE_SUBJECTS: Record<'call' | 'email' | 'meeting' | 'message' | 'other', Record<Locale, readonly string[]>> = {
  call: {
    fr: ['Appel de suivi', 'Relance devis n°{n}', 'Question sur la facture {n}', 'Premier contact', 'Point trimestriel'],
    en: ['Follow-up call', 'Chasing quote #{n}', 'Question about invoice {n}', 'Intro call', 'Quarterly check-in'],
  },
  email: {
    fr: ['Re: Devis {n}', 'Proposition commerciale', 'Confirmation de commande n°{n}', 'Documents demandés', 'Fwd: Planning'],
    en: ['Re: Quote {n}', 'Proposal', 'Order confirmation #{n}', 'Requested documents', 'Fwd: Schedule'],
  },
  meeting: {
    fr: ['Rendez-vous à {city}', 'Démonstration produit', 'Déjeuner d’affaires', 'Réunion de lancement', 'Visite du site'],
    en: ['Meeting in {city}', 'Product demo', 'Business lunch', 'Kick-off meeting', 'Site visit'],
  },
  message: {
    fr: ['SMS', 'Message WhatsApp', 'Message LinkedIn'],
    en: ['Text message', 'WhatsApp message', 'LinkedIn message'],
  },
  other: {
    fr: ['Courrier reçu', 'Colis envoyé', 'Carte de vœux'],
    en: ['Letter received', 'Parcel sent', 'Season’s greetings card'],
  },
};

export const EXCHANGE_BODIES: Record<Locale, readonly string[]> = {
  fr: [
    '{first} souhaite 20 % de plus sur la commande de printemps.', 'Devis envoyé, réponse attendue sous huit jours.',
    'A rappelé pour confirmer la livraison à {city}.', 'Intéressé·e par l’offre annuelle ; rappeler après les congés.',
    'Pas disponible, message laissé sur le répondeur.', 'Facture {n} réglée, merci !', 'Démo très appréciée 🎉, suite à prévoir.',
    'Demande une remise pour un engagement sur deux ans.', 'Changement d’interlocuteur : {first} reprend le dossier.',
  ],
  en: [
    '{first} wants 20% more on the spring order.', 'Quote sent; expecting an answer within a week.',
    'Called back to confirm delivery to {city}.', 'Interested in the annual plan; call again after the holidays.',
    'Not available, left a voicemail.', 'Invoice {n} paid, thanks!', 'Loved the demo 🎉, next steps to agree.',
    'Asks for a discount on a two-year commitment.', 'New contact person: {first} takes over the account.',
  ],
};

export const INTERNAL_NOTES: Record<Locale, readonly string[]> = {
  fr: ['Client à relancer avant la fin du mois.', 'Penser à envoyer le catalogue 2026.', 'Litige réglé à l’amiable.'],
  en: ['Chase before the end of the month.', 'Remember to send the 2026 catalogue.', 'Dispute settled amicably.'],
};
